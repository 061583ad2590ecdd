"""What the program ships besides its code: the compiled translations (translations/*.qm),
found with importlib.resources so an installed copy finds them as a checkout does."""
