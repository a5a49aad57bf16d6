// MechTUI
