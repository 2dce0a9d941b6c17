"""budgetpack converters: document → blocks → recognised tables → schema rows → package → report."""

VERSION = "0.1.0"
