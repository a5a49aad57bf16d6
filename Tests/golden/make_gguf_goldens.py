"""GGUF reader goldens: small GGUF files written with gguf-py's own GGUFWriter and quantizers, and the
float32 values gguf-py's `quants.dequantize` gives for each tensor (the reference Mechscope's reader
must match).

    python3 -m venv /tmp/venv-gguf && /tmp/venv-gguf/bin/pip install gguf==0.17.1 numpy==2.4.6
    /tmp/venv-gguf/bin/python Tests/golden/make_gguf_goldens.py

Writes Tests/golden/gguf/{metadata-and-types.gguf, aligned-64.gguf} and, per tensor, NAME.npy with the
dequantized values in row-major (numpy) order, plus expected.json describing the metadata and tensors.
Fixed seed; no downloads.
"""
import json
import os

import numpy as np
import gguf
from gguf import GGMLQuantizationType as Q

assert gguf.__version__ if hasattr(gguf, "__version__") else True
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gguf")
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(20261202)


def tensors_for(prefix):
    """(name, float32 values, ggml type) — shapes in numpy order, rows a multiple of the block size."""
    return [
        (f"{prefix}f32.matrix", rng.standard_normal((3, 5)).astype(np.float32), Q.F32),
        (f"{prefix}f32.cube", rng.standard_normal((2, 3, 4)).astype(np.float32), Q.F32),
        (f"{prefix}f16.matrix", rng.standard_normal((4, 8)).astype(np.float32), Q.F16),
        (f"{prefix}bf16.matrix", rng.standard_normal((2, 6)).astype(np.float32), Q.BF16),
        (f"{prefix}q4_0.matrix", (rng.standard_normal((2, 64)) * 0.1).astype(np.float32), Q.Q4_0),
        (f"{prefix}q4_1.matrix", (rng.standard_normal((3, 64)) * 0.1 + 0.02).astype(np.float32), Q.Q4_1),
        (f"{prefix}q8_0.matrix", (rng.standard_normal((2, 96)) * 0.5).astype(np.float32), Q.Q8_0),
        (f"{prefix}q8_0.vector", (rng.standard_normal((32,))).astype(np.float32), Q.Q8_0),
    ]


def write(filename, tensors, alignment=None, metadata=True):
    path = os.path.join(OUT, filename)
    writer = gguf.GGUFWriter(path, "llama")
    if alignment is not None:
        writer.add_custom_alignment(alignment)
    expected_meta = {"general.architecture": ["string", "llama"]}
    if alignment is not None:
        expected_meta["general.alignment"] = ["uint32", alignment]
    if metadata:
        writer.add_uint8("test.u8", 200); expected_meta["test.u8"] = ["uint8", 200]
        writer.add_int8("test.i8", -100); expected_meta["test.i8"] = ["int8", -100]
        writer.add_uint16("test.u16", 65000); expected_meta["test.u16"] = ["uint16", 65000]
        writer.add_int16("test.i16", -32000); expected_meta["test.i16"] = ["int16", -32000]
        writer.add_uint32("test.u32", 4000000000); expected_meta["test.u32"] = ["uint32", 4000000000]
        writer.add_int32("test.i32", -2000000000); expected_meta["test.i32"] = ["int32", -2000000000]
        writer.add_uint64("test.u64", 2**40 + 7); expected_meta["test.u64"] = ["uint64", 2**40 + 7]
        writer.add_int64("test.i64", -(2**40) - 7); expected_meta["test.i64"] = ["int64", -(2**40) - 7]
        writer.add_float32("test.f32", 0.15625); expected_meta["test.f32"] = ["float32", 0.15625]
        writer.add_float64("test.f64", -1.0e-300); expected_meta["test.f64"] = ["float64", -1.0e-300]
        writer.add_bool("test.yes", True); expected_meta["test.yes"] = ["bool", True]
        writer.add_bool("test.no", False); expected_meta["test.no"] = ["bool", False]
        writer.add_string("test.text", "Grüße, 世界 🙂\n\t"); expected_meta["test.text"] = ["string", "Grüße, 世界 🙂\n\t"]
        writer.add_array("test.ints", [1, -2, 3]); expected_meta["test.ints"] = ["array of int32", [1, -2, 3]]
        writer.add_array("test.strings", ["a", "", "Ġthe", "<0x0A>"])
        expected_meta["test.strings"] = ["array of string", ["a", "", "Ġthe", "<0x0A>"]]
        writer.add_array("test.floats", [0.5, -0.25]); expected_meta["test.floats"] = ["array of float32", [0.5, -0.25]]
        writer.add_array("test.nested", [[1, 2], [3]]); expected_meta["test.nested"] = ["array of array of int32", [[1, 2], [3]]]
    expected_tensors = []
    for name, values, qtype in tensors:
        if qtype == Q.F32:
            writer.add_tensor(name, values)
            reference = values
        elif qtype == Q.F16:
            writer.add_tensor(name, values.astype(np.float16))
            reference = values.astype(np.float16).astype(np.float32)
        else:
            data = gguf.quants.quantize(values, qtype)
            writer.add_tensor(name, data, raw_dtype=qtype)
            reference = gguf.quants.dequantize(data, qtype).astype(np.float32)
        assert reference.shape == values.shape, (name, reference.shape, values.shape)
        np.save(os.path.join(OUT, f"{name}.npy"), np.ascontiguousarray(reference, dtype=np.float32))
        expected_tensors.append({"name": name, "shape": list(values.shape), "type": qtype.name})
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()

    # Read back with gguf-py's reader, so the expectations are what its reader sees too.
    reader = gguf.GGUFReader(path)
    for key, (type_name, _) in expected_meta.items():
        types = [t.name.lower() for t in reader.fields[key].types]
        assert type_name == " of ".join("array" if t == "array" else t for t in types), (key, types)
    assert [t.name for t in reader.tensors] == [t["name"] for t in expected_tensors]
    for t in reader.tensors:
        ref = np.load(os.path.join(OUT, f"{t.name}.npy"))
        got = gguf.quants.dequantize(t.data, t.tensor_type).reshape(ref.shape)
        assert np.array_equal(got.astype(np.float32), ref), t.name
    return {"file": filename, "alignment": alignment or 32, "metadata": expected_meta, "tensors": expected_tensors,
            "data_offset": int(reader.data_offset)}


def random_blocks(qtype, rows, row_elements):
    """Random bytes for `rows` rows of `qtype` blocks, with every f16 scale field a finite value
    (random bytes there could be NaN or infinity, which compare unequal to themselves)."""
    block_elements, block_bytes = gguf.GGML_QUANT_SIZES[qtype]
    n = rows * row_elements // block_elements
    data = rng.integers(0, 256, size=(n, block_bytes), dtype=np.uint8)
    # byte offsets of the f16 fields in each block (ggml-quants.h's block_* structs)
    f16_fields = {Q.Q5_0: [0], Q.Q5_1: [0, 2], Q.Q2_K: [80, 82], Q.Q3_K: [108], Q.Q4_K: [0, 2],
                  Q.Q5_K: [0, 2], Q.Q6_K: [208]}[qtype]
    for offset in f16_fields:
        scale = (rng.standard_normal(n) * 0.01).astype(np.float16)
        data[:, offset:offset + 2] = scale.view(np.uint8).reshape(n, 2)
    return data.reshape(rows, -1)


def quant_blocks():
    """Random blocks of the types gguf-py dequantizes but cannot quantize in Python (and Q5_0/Q5_1)."""
    tensors = []
    for qtype, row_elements in [(Q.Q5_0, 64), (Q.Q5_1, 96), (Q.Q2_K, 512), (Q.Q3_K, 256), (Q.Q4_K, 512),
                                (Q.Q5_K, 256), (Q.Q6_K, 512)]:
        tensors.append((f"{qtype.name.lower()}.blocks", random_blocks(qtype, 3, row_elements), qtype))
    return tensors


def write_blocks(filename, tensors):
    path = os.path.join(OUT, filename)
    writer = gguf.GGUFWriter(path, "llama")
    expected_tensors = []
    for name, data, qtype in tensors:
        writer.add_tensor(name, data, raw_dtype=qtype)
        reference = gguf.quants.dequantize(data, qtype).astype(np.float32)
        assert np.isfinite(reference).all(), name
        np.save(os.path.join(OUT, f"{name}.npy"), np.ascontiguousarray(reference))
        expected_tensors.append({"name": name, "shape": list(reference.shape), "type": qtype.name})
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    reader = gguf.GGUFReader(path)
    return {"file": filename, "alignment": 32, "metadata": {"general.architecture": ["string", "llama"]},
            "tensors": expected_tensors, "data_offset": int(reader.data_offset)}


cases = [write("metadata-and-types.gguf", tensors_for("")),
         write("aligned-64.gguf", tensors_for("a."), alignment=64, metadata=False),
         write_blocks("quant-blocks.gguf", quant_blocks())]
with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump({"gguf_py": "0.17.1", "cases": cases}, f, indent=1, ensure_ascii=False)
print("wrote", ", ".join(c["file"] for c in cases))
