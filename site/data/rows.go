package data

// rowReader gives the rows of a data file: CSV (recordReader) or a sheet
// of an .xlsx workbook (xlsxReader).
type rowReader interface {
	// Read returns the next row's values, or io.EOF.
	Read() ([]string, error)
	// FieldPos is the line and 1-based column of value i of the last row.
	FieldPos(i int) (line, col int)
	// lineSpan is the first line of the last row and how many lines it took.
	lineSpan() (line, span int)
	// setWidth tells the reader the header's number of values.
	setWidth(n int)
}

func (r *recordReader) lineSpan() (int, int) { return r.line, r.span }
func (r *recordReader) setWidth(n int)       { r.width = n }
