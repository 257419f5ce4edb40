package engine

// WriteFlatCSV lets the end-to-end benchmark use the map benchmark's file.
var WriteFlatCSV = writeFlatCSV
