"""EstateDesk's documents: plain data in, PDF bytes out (reportlab). Qt-free."""
