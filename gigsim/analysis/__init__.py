"""Reading results: run summaries (`summary.py`), comparisons of arms (`compare.py`), reports (`report.py`),
stylized facts (`facts.py`) and calibration (`calibration.py`)."""
