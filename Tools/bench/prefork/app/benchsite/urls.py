from django.urls import path

from catalog import views

urlpatterns = [
    path("books/", views.books, name="books"),
]
