// MechModels
