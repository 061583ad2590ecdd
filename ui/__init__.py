"""EstateDesk's window: PySide6 pages that gather input, call one core function, and show
what it returns or the error it raises."""
