"""Create and fill the catalogue's SQLite database.

    python3 populate.py DB_PATH

Run by Tools/bench/prefork/run once per benchmark run, before any server
starts, with Debian's Django (/usr/lib/python3/dist-packages).  Prints the
number of authors and books."""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DIST_PACKAGES = "/usr/lib/python3/dist-packages"


def main(db_path):
    if os.path.exists(db_path):
        os.unlink(db_path)
    os.environ["EMBER_PREFORK_DB"] = db_path
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchsite.settings"
    if HERE not in sys.path:
        sys.path.insert(0, HERE)
    try:
        import django
    except ImportError:
        sys.path.append(DIST_PACKAGES)     # after the interpreter's own stdlib
        import django
    django.setup()
    from django.db import connection, transaction
    from catalog import data
    from catalog.models import Author, Book

    with connection.schema_editor() as editor:
        editor.create_model(Author)
        editor.create_model(Book)
    with transaction.atomic():
        # One by one: Django 3.2 does not read back ids of a bulk insert on SQLite.
        authors = [Author.objects.create(**a) for a in data.authors()]
        Book.objects.bulk_create(
            (Book(author=authors[b.pop("author_index")], **b) for b in data.books()),
            batch_size=500)
    print(f"{Author.objects.count()} authors, {Book.objects.count()} books")
    connection.close()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: populate.py DB_PATH")
    main(sys.argv[1])
