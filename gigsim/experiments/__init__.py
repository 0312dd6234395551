"""Running scenarios and policy experiments.

- `run.py`: one run (`run_scenario`) and its folder (`write_run`);
- `spec.py`: the experiment file schema; `windows.py`: windows of days;
- `plan.py`: arms, sweeps and tasks, everything validated before anything runs (`load_experiment`);
- `executors.py`: in this process, a local process pool, or Dask (`run_tasks`, `connect_cluster`);
- `batch.py`: the whole loop (`run_experiment`), behind `gigsim experiment`;
- `store.py`, `manifest.py`: the results store (batch ownership, checksums, literal paths).
"""
