"""crokit's benchmarks: ``python -m benchmarks`` runs them all and prints one table (see README.md)."""
