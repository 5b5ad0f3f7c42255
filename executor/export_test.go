package executor

// SameImage is sameImage, for the external tests.
var SameImage = sameImage

// FullyNamed is fullyNamed, for the external tests.
var FullyNamed = fullyNamed
