"""Developer tools kept outside the product package (benchmarks). `dashboard/` never imports them at
import time; `python -m dashboard bench` loads them lazily."""
