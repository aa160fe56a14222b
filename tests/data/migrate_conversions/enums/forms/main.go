// Package main has named types with const blocks: the ones --enums converts, and the ones it must leave.
package main

import (
	"encoding/json"
	"fmt"
	"strings"
)

// color is unexported, has no String, and its values never reach an interface.
type color int

// The colors.
const (
	red   color = iota // the first
	green              // the second

	blue
)

func (c color) hex() string {
	switch c {
	case red:
		return "#f00"
	case green:
		return "#0f0"
	default:
		return "#00f"
	}
}

// Level already has its String and text marshalling: they stay.
type Level int

const (
	Debug Level = iota + 1
	Info
	Warn
)

func (l Level) String() string {
	switch l {
	case Debug:
		return "debug"
	case Info:
		return "info"
	case Warn:
		return "warn"
	}
	return "level?"
}

func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

func (l *Level) UnmarshalText(b []byte) error {
	for _, v := range []Level{Debug, Info, Warn} {
		if v.String() == strings.ToLower(string(b)) {
			*l = v
			return nil
		}
	}
	return fmt.Errorf("bad level %q", b)
}

type unit string

const (
	meter unit = "m"
	foot  unit = "ft"
)

func (u unit) per(v float64) string { return fmt.Sprint(v) + string(u) }

// --- left as they are ---

// Mode is exported and has no String: an enum would add one to its API.
type Mode string

const (
	ModeFast Mode = "fast"
	ModeSlow Mode = "slow"
)

// Flag values are combined with |.
type Flag uint8

const (
	FlagA Flag = 1 << iota
	FlagB
)

// weekday values are made from ints.
type weekday int

const (
	sun weekday = iota
	mon
)

func day(n int) weekday { return weekday(n) }

// size values are printed with fmt: an enum's String would change the output.
type size int

const (
	small size = iota
	large
)

// shade's second member repeats the first's value in Go, and would count on in an enum.
type shade int

const (
	light shade = 1
	dark
)

// tone's switch misses a member, without default: nonexhaustive for an enum.
type tone int

const (
	warm tone = iota
	cold
	neutral
)

func (t tone) celsius() int {
	switch t {
	case warm:
		return 30
	case cold:
		return 0
	}
	return 15
}

// kind is unexported, but its members are not: other packages can print them.
type kind int

const (
	KindA kind = iota
	KindB
)

// mixed shares its block with another constant.
type mixed int

const (
	one mixed = iota
	two
	limit = 10
)

func main() {
	fmt.Println(red.hex(), green.hex(), blue.hex(), red == blue)
	out, err := json.Marshal(map[string][]Level{"levels": {Debug, Warn}})
	fmt.Println(string(out), err, Info)
	var l Level
	fmt.Println(json.Unmarshal([]byte(`"WARN"`), &l), l)
	fmt.Println(meter.per(2), foot.per(3))
	fmt.Println(KindA == KindB, ModeFast, ModeSlow, FlagA|FlagB, day(1) == mon, sun)
	fmt.Println(small, large, light == dark, one, two, limit, warm.celsius(), neutral.celsius())
}
