package yaql

import (
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"

	"hoist/value"
)

// yaql's date_time module: Python datetimes (always with a time zone:
// UTC, or a fixed offset) and timedeltas, their arithmetic, properties
// (dt.year, ts.hours), strftime and strptime. now() and localtz() depend
// on the clock and the server's time zone: they are unknown values.
// datetime(string) parses ISO 8601 dates as dateutil does; other
// free-form text is an unknown value, since hoist does not reproduce
// dateutil's parser.

// timeVal is a datetime or a timespan.
type timeVal struct {
	// A datetime: the wall time in its zone (Go's FixedZone), and whether
	// the zone is dateutil's tzutc() (a zero offset yaql made) rather than
	// tzoffset(None, seconds).
	at  time.Time
	utc bool
	// A timespan, normalised as Python's timedelta: us in [0, a day).
	days, us int64
}

const (
	usPerDay = 86400 * 1000000
	maxDays  = 999999999
)

func datetimeObj(t time.Time, utc bool) obj {
	return obj{k: kDatetime, x: &timeVal{at: t, utc: utc}}
}

// spanObj returns a timespan of total microseconds, or an
// OverflowError beyond timedelta's range.
func spanObj(total *big.Int, off int) (obj, error) {
	d, m := new(big.Int).DivMod(total, big.NewInt(usPerDay), new(big.Int))
	if !d.IsInt64() || d.Int64() > maxDays || d.Int64() < -maxDays {
		return obj{}, errorf(off, "value", "OverflowError: days="+d.String()+"; must have magnitude <= 999999999")
	}
	return obj{k: kTimespan, x: &timeVal{days: d.Int64(), us: m.Int64()}}, nil
}

func spanOf(us int64) obj {
	o, _ := spanObj(big.NewInt(us), 0)
	return o
}

// micros is a timespan's total microseconds.
func (t *timeVal) micros() *big.Int {
	r := big.NewInt(t.days)
	r.Mul(r, big.NewInt(usPerDay))
	return r.Add(r, big.NewInt(t.us))
}

// offset is a datetime's UTC offset in seconds.
func (t *timeVal) offset() int {
	_, off := t.at.Zone()
	return off
}

// zoneFor is yaql's _get_tz: a zero offset is UTC, anything else a fixed
// offset; Python 2's datetime needs whole minutes.
func zoneFor(span *timeVal, off int) (*time.Location, bool, error) {
	us := span.micros()
	if us.Sign() == 0 {
		return time.UTC, true, nil
	}
	sec := new(big.Int).Quo(us, big.NewInt(1000000))
	if new(big.Int).Rem(us, big.NewInt(60000000)).Sign() != 0 || !sec.IsInt64() {
		return nil, false, errorf(off, "value", "ValueError: tzinfo.utcoffset() must return a whole number of minutes")
	}
	s := sec.Int64()
	if s <= -86400 || s >= 86400 {
		return nil, false, errorf(off, "value", "ValueError: offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24)")
	}
	return time.FixedZone("", int(s)), false, nil
}

func tyDatetime(_ *evaluator, o obj) bool { return o.k == kDatetime }
func tyTimespan(_ *evaluator, o obj) bool { return o.k == kTimespan }

// tyInteger is yaqltypes.Integer: an int, not a bool.
func tyInteger(_ *evaluator, o obj) bool {
	return o.k == kData && value.KindOf(o.v) == value.Int
}

func datetimeLib() map[string][]*overload {
	m := map[string][]*overload{
		"datetime": {
			function(fnDatetime, req("year", tyInt), req("month", tyInt), req("day", tyInt),
				opt("hour", tyInt), opt("minute", tyInt), opt("second", tyInt), opt("microsecond", tyInt), opt("offset", tyTimespan)),
			function(fnDatetimeFromTimestamp, req("timestamp", tyNumber), opt("offset", tyTimespan)),
			function(fnDatetimeFromString, req("string", tyString), opt("format", tyStringN)),
		},
		"timespan": {function(fnTimespan, opt("days", tyInt), opt("hours", tyInt), opt("minutes", tyInt),
			opt("seconds", tyInteger), opt("milliseconds", tyInteger), opt("microseconds", tyInteger))},
		"now": {function(func(c *callCtx, a []obj) (obj, error) {
			return data(value.NewUnknown("now() is the time at which Heat evaluates the expression", zr)), nil
		}, opt("offset", tyTimespan))},
		"localtz": {function(func(c *callCtx, a []obj) (obj, error) {
			return data(value.NewUnknown("localtz() is the UTC offset of the Heat engine's local time zone, which depends on the server and the date", zr)), nil
		})},
		"utctz":      {function(func(c *callCtx, a []obj) (obj, error) { return spanOf(0), nil })},
		"isDatetime": {function(func(c *callCtx, a []obj) (obj, error) { return boolean(a[0].k == kDatetime), nil }, req("value", nil))},
		"isTimespan": {function(func(c *callCtx, a []obj) (obj, error) { return boolean(a[0].k == kTimespan), nil }, req("value", nil))},
		"replace": {method(fnDatetimeReplace, req("dt", tyDatetime), opt("year", tyIntN), opt("month", tyIntN), opt("day", tyIntN),
			opt("hour", tyIntN), opt("minute", tyIntN), opt("second", tyIntN), opt("microsecond", tyIntN), opt("offset", tyTimespanN))},
		"format": {method(func(c *callCtx, a []obj) (obj, error) {
			s, err := strftime(a[0].tv(), a[1].v.Str, c.off)
			if err != nil {
				return obj{}, err
			}
			return str(s), nil
		}, req("dt", tyDatetime), req("format", tyString))},
		"#operator_+": {
			function(func(c *callCtx, a []obj) (obj, error) { return addSpan(a[0].tv(), a[1].tv().micros(), c.off) }, req("dt", tyDatetime), req("ts", tyTimespan)),
			function(func(c *callCtx, a []obj) (obj, error) { return addSpan(a[1].tv(), a[0].tv().micros(), c.off) }, req("ts", tyTimespan), req("dt", tyDatetime)),
			function(func(c *callCtx, a []obj) (obj, error) {
				return spanObj(new(big.Int).Add(a[0].tv().micros(), a[1].tv().micros()), c.off)
			}, req("ts1", tyTimespan), req("ts2", tyTimespan)),
		},
		"#operator_-": {
			function(func(c *callCtx, a []obj) (obj, error) {
				return addSpan(a[0].tv(), new(big.Int).Neg(a[1].tv().micros()), c.off)
			}, req("dt", tyDatetime), req("ts", tyTimespan)),
			function(func(c *callCtx, a []obj) (obj, error) {
				return spanObj(new(big.Int).Sub(instantMicros(a[0].tv().at), instantMicros(a[1].tv().at)), c.off)
			}, req("dt1", tyDatetime), req("dt2", tyDatetime)),
			function(func(c *callCtx, a []obj) (obj, error) {
				return spanObj(new(big.Int).Sub(a[0].tv().micros(), a[1].tv().micros()), c.off)
			}, req("ts1", tyTimespan), req("ts2", tyTimespan)),
		},
		"#operator_*": {
			function(func(c *callCtx, a []obj) (obj, error) { return scaleSpan(a[0].tv(), a[1].v, false, c.off) }, req("ts", tyTimespan), req("n", tyNumber)),
			function(func(c *callCtx, a []obj) (obj, error) { return scaleSpan(a[1].tv(), a[0].v, false, c.off) }, req("n", tyNumber), req("ts", tyTimespan)),
		},
		"#operator_/": {
			function(func(c *callCtx, a []obj) (obj, error) {
				den := a[1].tv().micros()
				if den.Sign() == 0 {
					return obj{}, errorf(c.off, "zero-division", "ZeroDivisionError: float division by zero")
				}
				n, _ := new(big.Float).SetInt(a[0].tv().micros()).Float64()
				d, _ := new(big.Float).SetInt(den).Float64()
				return data(value.NewFloat(n/d, zr)), nil
			}, req("ts1", tyTimespan), req("ts2", tyTimespan)),
			function(func(c *callCtx, a []obj) (obj, error) { return scaleSpan(a[0].tv(), a[1].v, true, c.off) }, req("ts", tyTimespan), req("n", tyNumber)),
		},
		"#unary_operator_-": {function(func(c *callCtx, a []obj) (obj, error) {
			return spanObj(new(big.Int).Neg(a[0].tv().micros()), c.off)
		}, req("ts", tyTimespan))},
		"#unary_operator_+": {function(func(c *callCtx, a []obj) (obj, error) { return a[0], nil }, req("ts", tyTimespan))},
	}
	for _, op := range []string{"<", "<=", ">", ">="} {
		m["#operator_"+op] = []*overload{
			function(func(c *callCtx, a []obj) (obj, error) {
				return boolean(cmpOp(op, instantMicros(a[0].tv().at).Cmp(instantMicros(a[1].tv().at)))), nil
			}, req("dt1", tyDatetime), req("dt2", tyDatetime)),
			function(func(c *callCtx, a []obj) (obj, error) {
				return boolean(cmpOp(op, a[0].tv().micros().Cmp(a[1].tv().micros()))), nil
			}, req("ts1", tyTimespan), req("ts2", tyTimespan)),
		}
	}
	// Properties: dt.year, ts.hours...
	dtProp := func(name string, f func(t *timeVal) obj) {
		m["#property#"+name] = []*overload{function(func(c *callCtx, a []obj) (obj, error) { return f(a[0].tv()), nil }, req("obj", tyDatetime))}
	}
	dtProp("year", func(t *timeVal) obj { return integer(int64(t.at.Year())) })
	dtProp("month", func(t *timeVal) obj { return integer(int64(t.at.Month())) })
	dtProp("day", func(t *timeVal) obj { return integer(int64(t.at.Day())) })
	dtProp("hour", func(t *timeVal) obj { return integer(int64(t.at.Hour())) })
	dtProp("minute", func(t *timeVal) obj { return integer(int64(t.at.Minute())) })
	dtProp("second", func(t *timeVal) obj { return integer(int64(t.at.Second())) })
	dtProp("microsecond", func(t *timeVal) obj { return integer(int64(t.at.Nanosecond() / 1000)) })
	dtProp("weekday", func(t *timeVal) obj { return integer(int64((t.at.Weekday() + 6) % 7)) })
	dtProp("date", func(t *timeVal) obj {
		y, mo, d := t.at.Date()
		return datetimeObj(time.Date(y, mo, d, 0, 0, 0, 0, t.at.Location()), t.utc)
	})
	dtProp("time", func(t *timeVal) obj {
		h, mi, s := t.at.Clock()
		return spanOf(((int64(h)*60+int64(mi))*60+int64(s))*1000000 + int64(t.at.Nanosecond()/1000))
	})
	dtProp("offset", func(t *timeVal) obj { return spanOf(int64(t.offset()) * 1000000) })
	m["#property#utc"] = []*overload{function(func(c *callCtx, a []obj) (obj, error) {
		return addSpan(a[0].tv(), big.NewInt(-int64(a[0].tv().offset())*1000000), c.off)
	}, req("obj", tyDatetime))}
	// yaql's timestamp subtracts the offset twice: (dt - offset) - epoch.
	dtProp("timestamp", func(t *timeVal) obj {
		us := new(big.Int).Sub(instantMicros(t.at), big.NewInt(int64(t.offset())*1000000))
		us.Sub(us, instantMicros(time.Unix(0, 0)))
		f, _ := new(big.Float).SetInt(us).Float64()
		return data(value.NewFloat(f/1e6, zr))
	})
	spanProp := func(name string, div float64) {
		m["#property#"+name] = []*overload{function(func(c *callCtx, a []obj) (obj, error) {
			us := a[0].tv().micros()
			if div == 1 {
				return bigResult(us), nil
			}
			f, _ := new(big.Float).SetInt(us).Float64()
			return data(value.NewFloat(f/div, zr)), nil
		}, req("obj", tyTimespan))}
	}
	spanProp("microseconds", 1)
	spanProp("milliseconds", 1e3)
	spanProp("seconds", 1e6)
	spanProp("minutes", 60e6)
	spanProp("hours", 3600e6)
	spanProp("days", 86400e6)
	return m
}

func tyTimespanN(_ *evaluator, o obj) bool { return o.k == kTimespan || o.isNull() }

// instantMicros is the microseconds from 0001-01-01 UTC to t.
func instantMicros(t time.Time) *big.Int {
	u := t.UTC()
	y := int64(u.Year() - 1)
	daysBefore := y*365 + y/4 - y/100 + y/400 // proleptic Gregorian
	h, mi, s := u.Clock()
	r := big.NewInt(daysBefore + int64(u.YearDay()-1))
	r.Mul(r, big.NewInt(usPerDay))
	return r.Add(r, big.NewInt(((int64(h)*60+int64(mi))*60+int64(s))*1000000+int64(u.Nanosecond()/1000)))
}

// fromInstant is the datetime at microseconds from 0001-01-01 UTC, in loc;
// false when it falls outside years 1 to 9999.
func fromInstant(us *big.Int, loc *time.Location) (time.Time, bool) {
	lo := big.NewInt(0)
	hi := instantMicros(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC))
	t0 := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	d, m := new(big.Int).DivMod(us, big.NewInt(usPerDay), new(big.Int))
	t := t0.AddDate(0, 0, int(d.Int64())).Add(time.Duration(m.Int64()) * time.Microsecond).In(loc)
	if us.Cmp(lo) < 0 || us.Cmp(hi) >= 0 || t.Year() < 1 || t.Year() > 9999 {
		return time.Time{}, false
	}
	return t, true
}

// addSpan is datetime + timedelta (the zone is kept).
func addSpan(t *timeVal, us *big.Int, off int) (obj, error) {
	r, ok := fromInstant(new(big.Int).Add(instantMicros(t.at), us), t.at.Location())
	if !ok {
		return obj{}, errorf(off, "value", "OverflowError: date value out of range")
	}
	return datetimeObj(r, t.utc), nil
}

// scaleSpan is timedelta(microseconds=micros(ts) * n) or / n; a float
// count of microseconds rounds half to even.
func scaleSpan(t *timeVal, n *value.Value, div bool, off int) (obj, error) {
	us := t.micros()
	if n.Kind != value.Float {
		bn := bigOf(n)
		if !div {
			return spanObj(new(big.Int).Mul(us, bn), off)
		}
		if bn.Sign() == 0 {
			return obj{}, errorf(off, "zero-division", "ZeroDivisionError: integer division or modulo by zero")
		}
		// Python 2 (yaql 1.1.3 has no true division here): floor division.
		q, m := new(big.Int).DivMod(us, bn, new(big.Int))
		if m.Sign() != 0 && bn.Sign() < 0 { // Euclidean to floor
			q.Sub(q, big.NewInt(1))
		}
		return spanObj(q, off)
	}
	f, _ := new(big.Float).SetInt(us).Float64()
	x := n.Float
	if div {
		if x == 0 {
			return obj{}, errorf(off, "zero-division", "ZeroDivisionError: float division by zero")
		}
		f /= x
	} else {
		f *= x
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return obj{}, errorf(off, "value", "ValueError: cannot convert float NaN or infinity to integer")
	}
	r := math.RoundToEven(f)
	b, _ := new(big.Float).SetFloat64(r).Int(nil)
	return spanObj(b, off)
}

func intOr(a []obj, i int, def int64) (int64, bool) {
	if a[i].k == kNoValue || a[i].isNull() {
		return def, true
	}
	return int64Of(a[i].v)
}

// buildDatetime validates the fields as Python's datetime() does.
func buildDatetime(y, mo, d, h, mi, s, us int64, loc *time.Location, utc bool, off int) (obj, error) {
	switch {
	case y < 1 || y > 9999:
		return obj{}, errorf(off, "value", "ValueError: year "+strconv.FormatInt(y, 10)+" is out of range")
	case mo < 1 || mo > 12:
		return obj{}, errorf(off, "value", "ValueError: month must be in 1..12")
	case d < 1 || d > int64(daysIn(int(y), int(mo))):
		return obj{}, errorf(off, "value", "ValueError: day is out of range for month")
	case h < 0 || h > 23:
		return obj{}, errorf(off, "value", "ValueError: hour must be in 0..23")
	case mi < 0 || mi > 59:
		return obj{}, errorf(off, "value", "ValueError: minute must be in 0..59")
	case s < 0 || s > 59:
		return obj{}, errorf(off, "value", "ValueError: second must be in 0..59")
	case us < 0 || us > 999999:
		return obj{}, errorf(off, "value", "ValueError: microsecond must be in 0..999999")
	}
	return datetimeObj(time.Date(int(y), time.Month(mo), int(d), int(h), int(mi), int(s), int(us)*1000, loc), utc), nil
}

func daysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func fnDatetime(c *callCtx, a []obj) (obj, error) {
	var f [7]int64
	for i := range f {
		def := int64(0)
		v, ok := intOr(a, i, def)
		if !ok {
			return obj{}, errorf(c.off, "value", "OverflowError: signed integer is greater than maximum")
		}
		f[i] = v
	}
	loc, utc := time.UTC, true
	if a[7].k != kNoValue {
		var err error
		if loc, utc, err = zoneFor(a[7].tv(), c.off); err != nil {
			return obj{}, err
		}
	}
	return buildDatetime(f[0], f[1], f[2], f[3], f[4], f[5], f[6], loc, utc, c.off)
}

func fnDatetimeFromTimestamp(c *callCtx, a []obj) (obj, error) {
	loc, utc := time.UTC, true
	if a[1].k != kNoValue {
		var err error
		if loc, utc, err = zoneFor(a[1].tv(), c.off); err != nil {
			return obj{}, err
		}
	}
	var us *big.Int
	if a[0].v.Kind == value.Float {
		x := a[0].v.Float
		if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > 1e14 {
			return obj{}, errorf(c.off, "value", "ValueError: year is out of range")
		}
		sec := math.Floor(x)
		frac := math.RoundToEven((x - sec) * 1e6)
		us = new(big.Int).Mul(big.NewInt(int64(sec)), big.NewInt(1000000))
		us.Add(us, big.NewInt(int64(frac)))
	} else {
		us = new(big.Int).Mul(bigOf(a[0].v), big.NewInt(1000000))
	}
	us.Add(us, instantMicros(time.Unix(0, 0).UTC()))
	t, ok := fromInstant(us, loc)
	if !ok {
		return obj{}, errorf(c.off, "value", "ValueError: year is out of range")
	}
	return datetimeObj(t, utc), nil
}

func fnTimespan(c *callCtx, a []obj) (obj, error) {
	scale := []int64{usPerDay, 3600000000, 60000000, 1000000, 1000, 1}
	total := new(big.Int)
	for i, k := range scale {
		if a[i].k == kNoValue {
			continue
		}
		total.Add(total, new(big.Int).Mul(bigOf(a[i].v), big.NewInt(k)))
	}
	return spanObj(total, c.off)
}

func fnDatetimeReplace(c *callCtx, a []obj) (obj, error) {
	t := a[0].tv().at
	f := [7]int64{int64(t.Year()), int64(t.Month()), int64(t.Day()), int64(t.Hour()), int64(t.Minute()), int64(t.Second()), int64(t.Nanosecond() / 1000)}
	for i := range f {
		v, ok := intOr(a, i+1, f[i])
		if !ok {
			return obj{}, errorf(c.off, "value", "OverflowError: signed integer is greater than maximum")
		}
		f[i] = v
	}
	loc, utc := t.Location(), a[0].tv().utc
	if a[8].k != kNoValue && !a[8].isNull() {
		var err error
		if loc, utc, err = zoneFor(a[8].tv(), c.off); err != nil {
			return obj{}, err
		}
	}
	return buildDatetime(f[0], f[1], f[2], f[3], f[4], f[5], f[6], loc, utc, c.off)
}

// fnDatetimeFromString is datetime(string[, format]): strptime with a
// format, else dateutil's parser, of which hoist reproduces ISO 8601.
func fnDatetimeFromString(c *callCtx, a []obj) (obj, error) {
	s := a[0].v.Str
	if a[1].k != kNoValue && !a[1].isNull() && a[1].v.Str != "" {
		return strptime(s, a[1].v.Str, c.off)
	}
	t, utc, ok, err := parseISO(s, c.off)
	if err != nil {
		return obj{}, err
	}
	if ok {
		return datetimeObj(t, utc), nil
	}
	return data(value.NewUnknown("datetime("+value.Repr(a[0].v)+") is parsed by dateutil's free-form parser, which hoist reproduces only for ISO 8601 dates", zr)), nil
}

// pyDatetimeStr is str(datetime): its isoformat with a space.
func pyDatetimeStr(t *timeVal) string {
	var b strings.Builder
	b.WriteString(t.at.Format("2006-01-02 15:04:05"))
	if us := t.at.Nanosecond() / 1000; us != 0 {
		b.WriteString("." + pad0(int64(us), 6))
	}
	b.WriteString(offsetText(t.offset(), ":"))
	return b.String()
}

func offsetText(off int, sep string) string {
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	s := sign + pad0(int64(off/3600), 2) + sep + pad0(int64(off%3600/60), 2)
	if off%60 != 0 {
		s += sep + pad0(int64(off%60), 2)
	}
	return s
}

func pad0(n int64, w int) string {
	s := strconv.FormatInt(n, 10)
	for len(s) < w {
		s = "0" + s
	}
	return s
}

// pySpanStr is str(timedelta).
func pySpanStr(t *timeVal) string {
	var b strings.Builder
	if t.days != 0 {
		b.WriteString(strconv.FormatInt(t.days, 10) + " day")
		if t.days != 1 && t.days != -1 {
			b.WriteByte('s')
		}
		b.WriteString(", ")
	}
	sec := t.us / 1000000
	b.WriteString(strconv.FormatInt(sec/3600, 10) + ":" + pad0(sec%3600/60, 2) + ":" + pad0(sec%60, 2))
	if us := t.us % 1000000; us != 0 {
		b.WriteString("." + pad0(us, 6))
	}
	return b.String()
}

// pyDatetimeRepr and pySpanRepr are Python 2's repr of datetime (with
// dateutil's zone) and timedelta.
func pyDatetimeRepr(t *timeVal) string {
	at := t.at
	parts := []int{at.Year(), int(at.Month()), at.Day(), at.Hour(), at.Minute()}
	if us := at.Nanosecond() / 1000; at.Second() != 0 || us != 0 {
		parts = append(parts, at.Second())
		if us != 0 {
			parts = append(parts, us)
		}
	}
	var b strings.Builder
	b.WriteString("datetime.datetime(")
	for i, p := range parts {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(p))
	}
	if t.utc {
		b.WriteString(", tzinfo=tzutc())")
	} else {
		b.WriteString(", tzinfo=tzoffset(None, " + strconv.Itoa(t.offset()) + "))")
	}
	return b.String()
}

func pySpanRepr(t *timeVal) string {
	sec, us := t.us/1000000, t.us%1000000
	switch {
	case us != 0:
		return "datetime.timedelta(" + strconv.FormatInt(t.days, 10) + ", " + strconv.FormatInt(sec, 10) + ", " + strconv.FormatInt(us, 10) + ")"
	case sec != 0:
		return "datetime.timedelta(" + strconv.FormatInt(t.days, 10) + ", " + strconv.FormatInt(sec, 10) + ")"
	}
	return "datetime.timedelta(" + strconv.FormatInt(t.days, 10) + ")"
}

// isoDate is the ISO 8601 shape of dates hoist parses as dateutil does:
// YYYY-MM-DD, then T or a space and hh[:mm[:ss[.fraction]]], then a zone
// (Z, UTC, GMT or ±hh[[:]mm]).
var isoDate = regexp.MustCompile(`^\s*(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?)?(?:\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?))?\s*$`)

// parseISO parses an ISO 8601 date as dateutil does (a fraction beyond
// microseconds is cut); ok is false for other text. A date in that
// shape with a field out of range is an error, as in dateutil. A date
// without a zone is UTC (yaql's rule).
func parseISO(s string, off int) (t time.Time, utc, ok bool, err error) {
	m := isoDate.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false, false, nil
	}
	n := func(i int) int {
		v, _ := strconv.Atoi(m[i])
		return v
	}
	y, mo, d, h, mi, sec := n(1), n(2), n(3), n(4), n(5), n(6)
	us := 0
	if m[7] != "" {
		us, _ = strconv.Atoi((m[7] + "000000")[:6])
	}
	bad := ""
	switch {
	case y < 1:
		bad = "year 0 is out of range"
	case mo < 1 || mo > 12:
		bad = "month must be in 1..12"
	case d < 1 || d > daysIn(y, mo):
		bad = "day is out of range for month"
	case h > 23:
		bad = "hour must be in 0..23"
	case mi > 59:
		bad = "minute must be in 0..59"
	case sec > 59:
		bad = "second must be in 0..59"
	}
	if bad != "" {
		return time.Time{}, false, false, errorf(off, "value", "ValueError: "+bad+": "+s)
	}
	loc, utc := time.UTC, true
	if z := m[8]; z != "" && z != "Z" && z != "UTC" && z != "GMT" {
		digits := strings.ReplaceAll(z[1:], ":", "")
		zh, _ := strconv.Atoi(digits[:2])
		zm := 0
		if len(digits) == 4 {
			zm, _ = strconv.Atoi(digits[2:])
		}
		offset := zh*3600 + zm*60
		if z[0] == '-' {
			offset = -offset
		}
		if offset != 0 {
			loc, utc = time.FixedZone("", offset), false
		}
	}
	return time.Date(y, time.Month(mo), d, h, mi, sec, us*1000, loc), utc, true, nil
}

var (
	dayNames   = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	monthNames = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

// strftime is datetime.strftime in the C locale (glibc's directives).
func strftime(t *timeVal, f string, off int) (string, error) {
	at := t.at
	wd := int(at.Weekday()+6) % 7 // Monday = 0
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		if f[i] != '%' || i+1 >= len(f) {
			b.WriteByte(f[i])
			continue
		}
		i++
		switch f[i] {
		case 'a':
			b.WriteString(dayNames[wd][:3])
		case 'A':
			b.WriteString(dayNames[wd])
		case 'w':
			b.WriteString(strconv.Itoa(int(at.Weekday())))
		case 'u':
			b.WriteString(strconv.Itoa(wd + 1))
		case 'd':
			b.WriteString(pad0(int64(at.Day()), 2))
		case 'e':
			b.WriteString(padSpace(at.Day()))
		case 'b', 'h':
			b.WriteString(monthNames[at.Month()-1][:3])
		case 'B':
			b.WriteString(monthNames[at.Month()-1])
		case 'm':
			b.WriteString(pad0(int64(at.Month()), 2))
		case 'y':
			b.WriteString(pad0(int64(at.Year()%100), 2))
		case 'Y':
			b.WriteString(strconv.Itoa(at.Year()))
		case 'C':
			b.WriteString(pad0(int64(at.Year()/100), 2))
		case 'H':
			b.WriteString(pad0(int64(at.Hour()), 2))
		case 'k':
			b.WriteString(padSpace(at.Hour()))
		case 'I':
			b.WriteString(pad0(int64(hour12(at.Hour())), 2))
		case 'l':
			b.WriteString(padSpace(hour12(at.Hour())))
		case 'p':
			b.WriteString(map[bool]string{true: "PM", false: "AM"}[at.Hour() >= 12])
		case 'P':
			b.WriteString(map[bool]string{true: "pm", false: "am"}[at.Hour() >= 12])
		case 'M':
			b.WriteString(pad0(int64(at.Minute()), 2))
		case 'S':
			b.WriteString(pad0(int64(at.Second()), 2))
		case 'f':
			b.WriteString(pad0(int64(at.Nanosecond()/1000), 6))
		case 'z':
			b.WriteString(offsetText(t.offset(), ""))
		case 'Z':
			if t.utc {
				b.WriteString("UTC")
			}
		case 'j':
			b.WriteString(pad0(int64(at.YearDay()), 3))
		case 'U':
			b.WriteString(pad0(int64((at.YearDay()+6-int(at.Weekday()))/7), 2))
		case 'W':
			b.WriteString(pad0(int64((at.YearDay()+6-wd)/7), 2))
		case 'G':
			y, _ := at.ISOWeek()
			b.WriteString(strconv.Itoa(y))
		case 'V':
			_, w := at.ISOWeek()
			b.WriteString(pad0(int64(w), 2))
		case 'c':
			b.WriteString(dayNames[wd][:3] + " " + monthNames[at.Month()-1][:3] + " " + padSpace(at.Day()) + " " + at.Format("15:04:05") + " " + strconv.Itoa(at.Year()))
		case 'x', 'D':
			b.WriteString(at.Format("01/02/06"))
		case 'X', 'T':
			b.WriteString(at.Format("15:04:05"))
		case 'F':
			b.WriteString(pad0(int64(at.Year()), 4) + at.Format("-01-02"))
		case 'R':
			b.WriteString(at.Format("15:04"))
		case 'r':
			b.WriteString(pad0(int64(hour12(at.Hour())), 2) + at.Format(":04:05 ") + map[bool]string{true: "PM", false: "AM"}[at.Hour() >= 12])
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case '%':
			b.WriteByte('%')
		default:
			b.WriteByte('%')
			b.WriteByte(f[i])
		}
		if b.Len() > maxFormatWidth {
			return "", errorf(off, "limit", "Expression consumed too much memory")
		}
	}
	return b.String(), nil
}

func hour12(h int) int {
	if h%12 == 0 {
		return 12
	}
	return h % 12
}

func padSpace(n int) string {
	if n < 10 {
		return " " + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// strptime is datetime.strptime(s, format) in the C locale; a result
// without a zone is UTC (yaql's rule).
func strptime(s, f string, off int) (obj, error) {
	fail := func() (obj, error) {
		return obj{}, errorf(off, "value", "ValueError: time data "+value.Repr(value.NewString(s, zr))+" does not match format "+value.Repr(value.NewString(f, zr)))
	}
	y, mo, d, h, mi, sec, us := 1900, 1, 1, 0, 0, 0, 0
	pm, has12 := -1, false
	zoneOff, hasZone := 0, false
	i := 0 // position in s
	digits := func(maxN int) (int, bool) {
		j := i
		for j < len(s) && j-i < maxN && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == i {
			return 0, false
		}
		n, _ := strconv.Atoi(s[i:j])
		i = j
		return n, true
	}
	name := func(names []string, short bool) (int, bool) {
		for k, n := range names {
			if short {
				n = n[:3]
			}
			if len(s)-i >= len(n) && strings.EqualFold(s[i:i+len(n)], n) {
				i += len(n)
				return k, true
			}
		}
		return 0, false
	}
	for k := 0; k < len(f); k++ {
		c := f[k]
		if c == ' ' || c == '\t' || c == '\n' {
			// whitespace matches any run of whitespace (at least one)
			j := i
			for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r' || s[j] == '\v' || s[j] == '\f') {
				j++
			}
			if j == i {
				return fail()
			}
			i = j
			for k+1 < len(f) && (f[k+1] == ' ' || f[k+1] == '\t' || f[k+1] == '\n') {
				k++
			}
			continue
		}
		if c != '%' {
			if i >= len(s) || !strings.EqualFold(s[i:i+1], f[k:k+1]) {
				return fail()
			}
			i++
			continue
		}
		if k+1 >= len(f) {
			return obj{}, errorf(off, "value", "ValueError: stray % in format "+value.Repr(value.NewString(f, zr)))
		}
		k++
		var ok bool
		switch f[k] {
		case 'Y':
			y, ok = digits(4)
		case 'y':
			var v int
			if v, ok = digits(2); ok {
				if v < 69 {
					y = 2000 + v
				} else {
					y = 1900 + v
				}
			}
		case 'm':
			mo, ok = digits(2)
			ok = ok && mo >= 1 && mo <= 12
		case 'd':
			if i < len(s) && s[i] == ' ' {
				i++
			}
			d, ok = digits(2)
			ok = ok && d >= 1 && d <= 31
		case 'H':
			h, ok = digits(2)
			ok = ok && h <= 23
		case 'I':
			h, ok = digits(2)
			ok = ok && h >= 1 && h <= 12
			has12 = true
		case 'M':
			mi, ok = digits(2)
			ok = ok && mi <= 59
		case 'S':
			sec, ok = digits(2)
			ok = ok && sec <= 61
		case 'f':
			start := i
			var v int
			if v, ok = digits(6); ok {
				n := i - start
				for ; n < 6; n++ {
					v *= 10
				}
				us = v
			}
		case 'b', 'h':
			var m int
			if m, ok = name(monthNames, false); !ok {
				m, ok = name(monthNames, true)
			}
			mo = m + 1
		case 'B':
			var m int
			if m, ok = name(monthNames, false); !ok {
				m, ok = name(monthNames, true)
			}
			mo = m + 1
		case 'a', 'A':
			if _, ok = name(dayNames, false); !ok {
				_, ok = name(dayNames, true)
			}
		case 'p':
			var v int
			v, ok = name([]string{"AM", "PM"}, false)
			pm = v
		case 'z':
			ok = false
			if i < len(s) && s[i] == 'Z' {
				i++
				ok, hasZone = true, true
				break
			}
			if i < len(s) && (s[i] == '+' || s[i] == '-') {
				sign := 1
				if s[i] == '-' {
					sign = -1
				}
				i++
				zh, ok1 := digits(2)
				if i < len(s) && s[i] == ':' {
					i++
				}
				zm, ok2 := digits(2)
				if ok1 && ok2 && zm <= 59 {
					zoneOff, hasZone, ok = sign*(zh*3600+zm*60), true, true
				}
			}
		case '%':
			ok = i < len(s) && s[i] == '%'
			if ok {
				i++
			}
		default:
			return obj{}, errorf(off, "value", "ValueError: '"+string(f[k])+"' is a bad directive in format "+value.Repr(value.NewString(f, zr))+" (hoist reads %Y %y %m %d %H %I %M %S %f %b %B %a %A %p %z %%)")
		}
		if !ok {
			return fail()
		}
	}
	if i < len(s) {
		return obj{}, errorf(off, "value", "ValueError: unconverted data remains: "+s[i:])
	}
	if has12 && pm >= 0 {
		h %= 12
		if pm == 1 {
			h += 12
		}
	}
	if d > daysIn(y, mo) {
		return obj{}, errorf(off, "value", "ValueError: day is out of range for month")
	}
	loc, utc := time.UTC, true
	if hasZone && zoneOff != 0 {
		loc, utc = time.FixedZone("", zoneOff), false
	}
	if hasZone && zoneOff == 0 {
		// strptime's %z gives timezone.utc, which prints as UTC too.
		utc = true
	}
	return datetimeObj(time.Date(y, time.Month(mo), d, h, mi, sec, us*1000, loc), utc), nil
}
