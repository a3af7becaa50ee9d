#!/usr/bin/env python3
"""Writes a synthetic fleet of N servers (default 1000) in 4 phases for the render benchmark.

    python3 bench/gen-fleet.py OUT_DIR [N]

Every 10th server has a GPU, every 2nd has secrets, every 3rd depends on a server of an earlier phase, every 4th has
an external host; the rest take the fleet defaults (HPA 2..10). Ports are 10000 + i, so the range is [10000, 10000+N).
"""
import os
import sys

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
phases = ["core", "business", "extended", "advanced"]
per_phase = (n + len(phases) - 1) // len(phases)
names = [f"srv-{i:04d}" for i in range(n)]
os.makedirs(os.path.join(out, "values"), exist_ok=True)

with open(os.path.join(out, "fleet.yaml"), "w") as f:
    f.write(f"""name: bench
namespace: bench
image: registry.example.com/mcp-{{name}}:v{{version}}
environment: prod
env:
  PULUMI_ORG: bench-org
  REGION: eu-west-1
secretStore: {{ name: pulumi-esc, kind: SecretStore }}
ports: {{ min: 10000, max: {10000 + n - 1} }}
callers: {{ app: bench-backend }}
monitoringNamespace: monitoring
defaults:
  replicas: 2
  resources:
    requests: {{ cpu: 250m, memory: 512Mi }}
    limits: {{ cpu: "1", memory: 1Gi }}
  autoscaling: {{ minReplicas: 2, maxReplicas: 10, cpu: 70, memory: 80 }}
phases:
""")
    for p, phase in enumerate(phases):
        chunk = names[p * per_phase:(p + 1) * per_phase]
        if chunk:
            f.write(f"  - name: {phase}\n    servers:\n")
            f.writelines(f"      - {s}\n" for s in chunk)

for i, name in enumerate(names):
    phase = i // per_phase
    lines = [
        f"name: {name}",
        f"port: {10000 + i}",
        f'version: "1.{i % 7}.{i % 13}"',
        f"tools: {1 + i % 20}",
        f'description: "Synthetic server {i} for the render benchmark"',
    ]
    if i % 10 == 0:
        lines += ["replicas: 1", "gpu: { type: A100, count: 1 }",
                  "resources:", "  requests: { cpu: '2', memory: 4Gi }", "  limits: { cpu: '4', memory: 8Gi }"]
    if i % 2 == 0:
        key = name.replace("-", "_").upper()
        lines += ["secrets:", f"  - name: {key}_API_KEY", f"    remoteRef: bench.{name}.api_key",
                  f"  - name: {key}_TOKEN", f"    remoteRef: bench.{name}.token"]
    if i % 3 == 0 and phase > 0:
        lines += [f"dependsOn: [{names[(phase - 1) * per_phase + i % per_phase]}]"]
    if i % 4 == 0:
        lines += ["egress:", f"  - host: api{i}.example.com", "    ports: [443]"]
    if i % 5 == 0:
        lines += ["env:", "  LOG_LEVEL: info", f"  FEATURE_{i}: \"true\""]
    with open(os.path.join(out, "values", f"{name}.yaml"), "w") as f:
        f.write("\n".join(lines) + "\n")
print(f"{out}: {n} servers in {len(phases)} phases")
