"""The consultation domain: models, question types, operations and definitions. No Flask here."""
