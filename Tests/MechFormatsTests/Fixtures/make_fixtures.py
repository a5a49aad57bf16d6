"""Writes the reference files MechFormatsTests reads, using the real numpy and safetensors libraries.

Run from the repository root:  /work/venv/bin/python Tests/MechFormatsTests/Fixtures/make_fixtures.py
Pinned versions: Tests/golden/requirements.txt.
"""
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import save_file

here = Path(__file__).resolve().parent

# np.save of a float32 [2, 3] array: the .npy layout mechscope must read and reproduce byte for byte.
np.save(here / "arange_2x3_f32.npy", np.arange(6, dtype=np.float32).reshape(2, 3))

# Token ids as int64, the way reference scripts save them.
np.save(here / "token_ids_i8.npy", np.array([[50256, 15496, 11, 995]], dtype=np.int64))

# A safetensors file from the reference writer: F32, F16 edge values (smallest subnormal, smallest normal,
# largest finite, infinity, negative zero) and BF16.
save_file(
    {
        "f32": torch.arange(6, dtype=torch.float32).reshape(2, 3),
        "f16": torch.tensor([1.0, -2.0, 2.0**-24, 2.0**-14, 65504.0, float("inf"), -0.0], dtype=torch.float16),
        "bf16": torch.tensor([1.0, -3.5, 2.0**100], dtype=torch.bfloat16),
    },
    str(here / "reference.safetensors"),
    metadata={"format": "pt"},
)
