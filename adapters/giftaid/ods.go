package giftaid

import (
	"archive/zip"
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/strongertogether/community/grants/giving"
)

// MimeType is an OpenDocument spreadsheet's media type.
const MimeType = "application/vnd.oasis.opendocument.spreadsheet"

// Columns returns the donation schedule's column headings, in order.
func Columns() []string {
	return []string{"Item", "Title", "First name or initial", "Last name", "House name or number", "Postcode",
		"Aggregated donations", "Sponsored event", "Donation date", "Donation amount"}
}

// Labels of the claim's header rows.
const (
	EarliestLabel   = "Earliest donation date in the period of claim (DD/MM/YY)"
	AdjustmentLabel = "Old Gift Aid amount (over-claimed) to deduct"
)

// Date formats a date as HMRC's schedule wants it: DD/MM/YY.
const Date = "02/01/06"

const manifest = `<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
`

const contentHead = `<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="R68iCS">`

const contentTail = `</table:table></office:spreadsheet></office:body></office:document-content>`

// Write writes claim c's schedule to w as an .ods file. It refuses a
// claim with more rows than lim.Rows, or an aggregated line over the
// limits (giving.ErrLineLimit).
func Write(w io.Writer, c *giving.Claim, lim giving.Limits) error {
	if len(c.Lines) > lim.Rows {
		return fmt.Errorf("giftaid: claim %s has %d rows, HMRC takes %d: %w", c.ID, len(c.Lines), lim.Rows, giving.ErrInvalid)
	}
	for i, l := range c.Lines {
		if err := giving.CheckLine(l, lim); err != nil {
			return fmt.Errorf("giftaid: claim %s line %d: %w", c.ID, i+1, err)
		}
	}
	z := zip.NewWriter(w)
	mt, err := z.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
	if err != nil {
		return fmt.Errorf("giftaid: %w", err)
	}
	if _, err := io.WriteString(mt, MimeType); err != nil {
		return fmt.Errorf("giftaid: %w", err)
	}
	mf, err := z.Create("META-INF/manifest.xml")
	if err != nil {
		return fmt.Errorf("giftaid: %w", err)
	}
	if _, err := io.WriteString(mf, manifest); err != nil {
		return fmt.Errorf("giftaid: %w", err)
	}
	cw, err := z.Create("content.xml")
	if err != nil {
		return fmt.Errorf("giftaid: %w", err)
	}
	b := bufio.NewWriterSize(cw, 64<<10)
	b.WriteString(contentHead)
	earliest := ""
	if !c.Earliest.IsZero() {
		earliest = c.Earliest.Format(Date)
	}
	row(b, text(EarliestLabel), text(earliest))
	row(b, text(AdjustmentLabel), money(c.OverClaim.StringFixed(2), !c.OverClaim.IsZero()))
	cols := Columns()
	hs := make([]cell, len(cols))
	for i, h := range cols {
		hs[i] = text(h)
	}
	row(b, hs...)
	for i, l := range c.Lines {
		sp := ""
		if l.Sponsored {
			sp = "Yes"
		}
		row(b, text(strconv.Itoa(i+1)), text(l.Title), text(l.First), text(l.Last), text(l.House), text(l.Postcode),
			text(l.Aggregated), text(sp), text(l.Date.Format(Date)), money(l.Amount.StringFixed(2), true))
	}
	b.WriteString(contentTail)
	if err := b.Flush(); err != nil {
		return fmt.Errorf("giftaid: %w", err)
	}
	if err := z.Close(); err != nil {
		return fmt.Errorf("giftaid: %w", err)
	}
	return nil
}

type cell struct {
	v     string
	float bool
}

func text(s string) cell { return cell{v: s} }

func money(s string, set bool) cell {
	if !set {
		return cell{}
	}
	return cell{v: s, float: true}
}

func row(b *bufio.Writer, cells ...cell) {
	b.WriteString("<table:table-row>")
	for _, c := range cells {
		switch {
		case c.v == "":
			b.WriteString("<table:table-cell/>")
		case c.float:
			b.WriteString(`<table:table-cell office:value-type="float" office:value="`)
			b.WriteString(c.v)
			b.WriteString(`"><text:p>`)
			b.WriteString(c.v)
			b.WriteString("</text:p></table:table-cell>")
		default:
			b.WriteString(`<table:table-cell office:value-type="string"><text:p>`)
			_ = xml.EscapeText(b, []byte(c.v))
			b.WriteString("</text:p></table:table-cell>")
		}
	}
	b.WriteString("</table:table-row>")
}

// Sheet is a spreadsheet's first table read back: its rows of cell texts.
type Sheet struct {
	MimeType string
	Rows     [][]string
}

// MaxCells bounds how many cells Read expands (repeated cells count),
// so a small hostile file cannot ask for a huge sheet.
const MaxCells = 200_000

// Read reads an .ods file's first table. It checks the mimetype entry and
// expands repeated cells and rows, up to MaxCells; trailing empty cells of a
// row are dropped.
func Read(r io.ReaderAt, size int64) (*Sheet, error) {
	z, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("giftaid: read: %w", err)
	}
	sh := &Sheet{}
	var content *zip.File
	for _, f := range z.File {
		switch f.Name {
		case "mimetype":
			rc, err := f.Open()
			if err != nil {
				return nil, fmt.Errorf("giftaid: read mimetype: %w", err)
			}
			b, err := io.ReadAll(io.LimitReader(rc, 200))
			rc.Close()
			if err != nil {
				return nil, fmt.Errorf("giftaid: read mimetype: %w", err)
			}
			sh.MimeType = string(b)
		case "content.xml":
			content = f
		}
	}
	if sh.MimeType != MimeType {
		return nil, fmt.Errorf("giftaid: read: mimetype %q is not an OpenDocument spreadsheet", sh.MimeType)
	}
	if content == nil {
		return nil, fmt.Errorf("giftaid: read: no content.xml")
	}
	rc, err := content.Open()
	if err != nil {
		return nil, fmt.Errorf("giftaid: read content: %w", err)
	}
	defer rc.Close()
	if err := sh.parse(io.LimitReader(rc, 1<<30)); err != nil {
		return nil, fmt.Errorf("giftaid: read content: %w", err)
	}
	return sh, nil
}

const (
	nsTable = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
	nsText  = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
)

func repeat(se xml.StartElement, name string) int {
	for _, a := range se.Attr {
		if a.Name.Space == nsTable && a.Name.Local == name {
			n, err := strconv.Atoi(a.Value)
			if err == nil && n > 0 {
				return n
			}
		}
	}
	return 1
}

func (sh *Sheet) parse(r io.Reader) error {
	d := xml.NewDecoder(r)
	var (
		tables, cells      int
		inTable            bool
		rowRep, cellRep    int
		cur                []string
		txt                strings.Builder
		inCell, inP, inRow bool
		paras              int
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case t.Name.Space == nsTable && t.Name.Local == "table":
				tables++
				inTable = tables == 1
			case !inTable:
			case t.Name.Space == nsTable && t.Name.Local == "table-row":
				inRow, cur, rowRep = true, nil, repeat(t, "number-rows-repeated")
			case inRow && t.Name.Space == nsTable && (t.Name.Local == "table-cell" || t.Name.Local == "covered-table-cell"):
				inCell, cellRep, paras = true, repeat(t, "number-columns-repeated"), 0
				txt.Reset()
			case inCell && t.Name.Space == nsText && t.Name.Local == "p":
				if paras > 0 {
					txt.WriteByte('\n')
				}
				inP = true
				paras++
			case inP && t.Name.Space == nsText && t.Name.Local == "s":
				txt.WriteString(strings.Repeat(" ", min(repeat2(t), 1000)))
			}
		case xml.CharData:
			if inP {
				txt.Write(t)
			}
		case xml.EndElement:
			switch {
			case t.Name.Space == nsTable && t.Name.Local == "table":
				if inTable {
					return nil
				}
			case !inTable:
			case inP && t.Name.Space == nsText && t.Name.Local == "p":
				inP = false
			case inCell && t.Name.Space == nsTable && (t.Name.Local == "table-cell" || t.Name.Local == "covered-table-cell"):
				inCell = false
				v := txt.String()
				if cells += cellRep; cells > MaxCells {
					return fmt.Errorf("more than %d cells", MaxCells)
				}
				for range cellRep {
					cur = append(cur, v)
				}
			case inRow && t.Name.Space == nsTable && t.Name.Local == "table-row":
				inRow = false
				for len(cur) > 0 && cur[len(cur)-1] == "" {
					cur = cur[:len(cur)-1]
				}
				if len(cur) == 0 {
					continue // an empty row, however repeated, ends nothing and holds nothing
				}
				if cells += len(cur) * (rowRep - 1); cells > MaxCells {
					return fmt.Errorf("more than %d cells", MaxCells)
				}
				for range rowRep {
					sh.Rows = append(sh.Rows, cur)
				}
			}
		}
	}
}

func repeat2(se xml.StartElement) int {
	for _, a := range se.Attr {
		if a.Name.Space == nsText && a.Name.Local == "c" {
			if n, err := strconv.Atoi(a.Value); err == nil && n > 0 {
				return n
			}
		}
	}
	return 1
}
