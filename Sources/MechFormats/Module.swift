// MechFormats
