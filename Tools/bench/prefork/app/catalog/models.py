from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=80)
    email = models.EmailField()
    country = models.CharField(max_length=2)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Book(models.Model):
    title = models.CharField(max_length=200)
    author = models.ForeignKey(Author, related_name="books", on_delete=models.CASCADE)
    genre = models.CharField(max_length=20, db_index=True)
    published = models.DateField()
    price = models.DecimalField(max_digits=7, decimal_places=2)
    pages = models.IntegerField()
    rating = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["genre", "-rating"])]

    def __str__(self):
        return self.title
