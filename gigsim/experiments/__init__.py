"""Running scenarios and policy experiments: one run (`run.py`), experiment files (`spec.py`), the results store
(`store.py`)."""
