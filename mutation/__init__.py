"""Mutation testing of crokit's money, pricing, schedule and selection: ``python -m mutation.run NAME``."""
