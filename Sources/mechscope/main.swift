OpenBLASKernelSelection.ensureFastKernel()
MechscopeCommand.main()
StandardOutput.finishOrFail()
