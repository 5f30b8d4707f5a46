package openapi

// ControlFile is the name of the document of koomock's control API (/_mock), served at
// GET /_mock/openapi.yaml.
const ControlFile = "control.yaml"
