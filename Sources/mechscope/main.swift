OpenBLASKernelSelection.ensureFastKernel()
MechscopeCommand.main()
