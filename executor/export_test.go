package executor

// SameImage is sameImage, for the external tests.
var SameImage = sameImage
