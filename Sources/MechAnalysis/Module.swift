// MechAnalysis
