"""EstateDesk's core: the office's data and rules, importable without Qt."""
