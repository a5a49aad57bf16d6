import MechTensor
print("mechscope: OpenBLAS core \(OpenBLASRuntime.coreName)")
