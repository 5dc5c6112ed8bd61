"""The ``clearspace`` command: a thin shell over the library."""
