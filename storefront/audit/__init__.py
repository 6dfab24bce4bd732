"""The audit log: who did what to which row, when, with the values before and after."""
