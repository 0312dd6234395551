"""Mesa's own examples as a yardstick: agent-steps per second of two models shipped with Mesa 3.5.

gigsim's figure is worker-days per second; a worker-day runs more rules (posting, matching, settlement,
decisions, recording) than one agent-step of these examples, so the ratio is a conservative comparison:
how much faster gigsim moves one agent one period than Mesa's idiomatic per-agent loop does.
- Boltzmann wealth (mesa.examples.basic.boltzmann_wealth_model): agents move on a grid and give money
  to a cell-mate; the shipped model records data every step.
- Virus on a network (mesa.examples.basic.virus_on_network): agents on an Erdős–Rényi graph infect
  neighbours and recover; closest in kind to gigsim's network flows.
"""

from __future__ import annotations

import time


def _time_steps(model, steps: int) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(steps):
        model.step()
    return time.perf_counter() - wall, time.process_time() - cpu


def measure_boltzmann(agents: int, steps: int) -> dict:
    """Boltzmann wealth with `agents` agents on a square grid of about 10 agents per 100 cells."""
    from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannScenario, BoltzmannWealth

    side = max(10, int((agents * 10) ** 0.5))
    model = BoltzmannWealth(BoltzmannScenario(n=agents, width=side, height=side, rng=1))
    wall, cpu = _time_steps(model, steps)
    return {"model": "boltzmann_wealth", "agents": agents, "steps": steps, "wall_s": wall, "cpu_s": cpu,
            "agent_steps_per_s": agents * steps / wall, "cpu_agent_steps_per_s": agents * steps / cpu}


def measure_virus(agents: int, steps: int) -> dict:
    """Virus on a network with `agents` nodes of mean degree 3 (the example's default degree)."""
    from mesa.examples.basic.virus_on_network.model import VirusOnNetwork

    model = VirusOnNetwork(num_nodes=agents, avg_node_degree=3, initial_outbreak_size=max(1, agents // 100), rng=1)
    wall, cpu = _time_steps(model, steps)
    return {"model": "virus_on_network", "agents": agents, "steps": steps, "wall_s": wall, "cpu_s": cpu,
            "agent_steps_per_s": agents * steps / wall, "cpu_agent_steps_per_s": agents * steps / cpu}
