"""``tgo migrate``: turn a module's ``.go`` files into ``.tgo`` files that check clean and lower to the same Go (spec §11)."""
