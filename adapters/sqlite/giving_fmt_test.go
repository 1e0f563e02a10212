package sqlite_test

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// fmtValue prints v field by field, decimals as fixed-point text, so two
// values that differ only in a decimal's trailing zeros print the same.
func fmtValue(v any) string {
	var b strings.Builder
	walk(&b, reflect.ValueOf(v))
	return b.String()
}

var decType = reflect.TypeOf(decimal.Decimal{})
var timeType = reflect.TypeOf(time.Time{})

func walk(b *strings.Builder, v reflect.Value) {
	switch {
	case !v.IsValid():
		b.WriteString("<nil>")
		return
	case v.Type() == decType:
		b.WriteString(v.Interface().(decimal.Decimal).StringFixed(4))
		return
	case v.Type() == timeType:
		b.WriteString(v.Interface().(time.Time).UTC().Format(time.RFC3339Nano))
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		walk(b, v.Elem())
	case reflect.Struct:
		b.WriteString("{")
		for i := range v.NumField() {
			fmt.Fprintf(b, "%s:", v.Type().Field(i).Name)
			walk(b, v.Field(i))
			b.WriteString(" ")
		}
		b.WriteString("}")
	case reflect.Slice, reflect.Array:
		b.WriteString("[")
		for i := range v.Len() {
			walk(b, v.Index(i))
			b.WriteString(",")
		}
		b.WriteString("]")
	default:
		fmt.Fprintf(b, "%v", v.Interface())
	}
}
