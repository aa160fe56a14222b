// Package main exercises the forms --try converts, and the ones it must leave.
package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
)

type T struct{ A int }

type Level int

var errEmpty = errors.New("empty")

func parse(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("parse: %w", err)
	}
	return n, nil
}

func check(s string) error {
	if s == "" {
		return errEmpty
	}
	return nil
}

func pair(s string) (int, string, error) {
	n, err := parse(s)
	if err != nil {
		return 0, "", err
	}
	return n, s, nil
}

// two blocks share err: both convert
func two(a, b string) (*T, string, error) {
	x, err := parse(a)
	if err != nil {
		return nil, "", err
	}
	y, err := parse(b)
	if err != nil {
		return nil, "", err
	}
	return &T{x + y}, "ok", nil
}

func statements(s string) error {
	if _, err := parse(s); err != nil {
		return err
	}
	err := check(s)
	if err != nil {
		return fmt.Errorf("100%% bad: %w", err)
	}
	if err := check(s + s); err != nil {
		return err
	}
	return nil
}

func assign(s string) (Level, float64, bool, error) {
	var n, m int
	n, _, err := pair(s)
	if err != nil {
		return 0, 0.0, false, err
	}
	m, err = parse(s)
	if err != nil {
		return Level(0), 0, false, err
	}
	return Level(n + m), 1.5, true, nil
}

func zeros(s string) (T, [2]int, any, []int, map[string]int, *T, error) {
	n, err := parse(s)
	if err != nil {
		return T{}, [2]int{}, nil, nil, nil, nil, err
	}
	k, err := parse(s + "0")
	if err != nil {
		return *new(T), [2]int{}, nil, nil, nil, nil, err
	}
	return T{n + k}, [2]int{n, k}, n, []int{n}, map[string]int{s: n}, &T{}, nil
}

func inClosure(ss []string) (int, error) {
	total := 0
	add := func(s string) error {
		n, err := parse(s)
		if err != nil {
			return err
		}
		total += n
		return nil
	}
	for _, s := range ss {
		err := add(s)
		if err != nil {
			return 0, err
		}
	}
	return total, nil
}

func inSwitch(kind, s string) (int, error) {
	switch kind {
	case "double":
		n, err := parse(s)
		if err != nil {
			return 0, err
		}
		return 2 * n, nil
	default:
		return parse(s)
	}
}

// the var declaring err goes with the block after it
func declaredBefore(s string) (int, error) {
	var err error
	n, err := parse(s)
	if err != nil {
		return 0, err
	}
	return n, nil
}

// var err error, then two blocks that assign it: all of it goes
func declaredAbove(a, b string) (int, error) {
	var err error
	var n, m int
	n, err = parse(a)
	if err != nil {
		return 0, err
	}
	m, err = parse(b)
	if err != nil {
		return 0, err
	}
	return n + m, nil
}

// named results, read by a deferred function: the return sets them as the block did
func namedResults(s string) (n int, err error) {
	defer func() {
		if err != nil {
			n = -2
		}
	}()
	v, perr := parse(s)
	if perr != nil {
		return 0, perr
	}
	return v, nil
}

// --- left as they are ---

func declaredAndReturned(s string) (int, error) {
	var err error
	n, err := parse(s)
	if err != nil {
		return 0, err
	}
	return n, err
}

func notZero(s string) (int, error) {
	n, err := parse(s)
	if err != nil {
		return -1, err
	}
	return n, nil
}

func notZeroInterface(s string) (any, error) {
	n, err := parse(s)
	if err != nil {
		return 0, err
	}
	return n, nil
}

func emptySlice(s string) ([]int, error) {
	n, err := parse(s)
	if err != nil {
		return []int{}, err
	}
	return []int{n}, nil
}

func usedAfter(s string) (int, error) {
	n, err := parse(s)
	if err != nil {
		return 0, err
	}
	fmt.Println("after:", err)
	return n, nil
}

func readByClosure(s string) (n int, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("deferred: %w", err)
		}
	}()
	n, err = parse(s)
	if err != nil {
		return 0, err
	}
	return n, nil
}

func commented(s string) (int, error) {
	n, err := parse(s)
	if err != nil {
		// the caller logs it
		return 0, err
	}
	return n, nil
}

func otherWrap(s string) (int, error) {
	n, err := parse(s)
	if err != nil {
		return 0, fmt.Errorf("parsing %q: %w", s, err)
	}
	m, err := parse(s)
	if err != nil {
		return 0, fmt.Errorf("%w: parsing", err)
	}
	return n + m, nil
}

func sentinel(s string) error {
	err := check(s)
	if err != nil {
		return errEmpty
	}
	return nil
}

func notAfterCall(s string) error {
	err := check(s)
	fmt.Println("checked")
	if err != nil {
		return err
	}
	return nil
}

func show(name string, vs ...any) {
	fmt.Print(name, ":")
	for _, v := range vs {
		fmt.Printf(" %v", v)
	}
	fmt.Println()
}

func main() {
	for _, s := range []string{"12", "x", ""} {
		show("parse", fmt.Sprint(parse(s)))
		n, t, err := pair(s)
		show("pair", n, t, err)
		p, q, err := two(s, "3")
		show("two", p, q, err)
		show("statements", statements(s))
		l, f, b, err := assign(s)
		show("assign", l, f, b, err)
		z1, z2, z3, z4, z5, z6, err := zeros(s)
		show("zeros", z1, z2, z3, z4, z5, z6, err)
		show("closure", fmt.Sprint(inClosure([]string{"1", s})))
		show("switch", fmt.Sprint(inSwitch("double", s)))
		show("notZero", fmt.Sprint(notZero(s)))
		show("notZeroInterface", fmt.Sprint(notZeroInterface(s)))
		show("emptySlice", fmt.Sprint(emptySlice(s)))
		show("usedAfter", fmt.Sprint(usedAfter(s)))
		show("readByClosure", fmt.Sprint(readByClosure(s)))
		show("namedResults", fmt.Sprint(namedResults(s)))
		show("declaredBefore", fmt.Sprint(declaredBefore(s)))
		show("declaredAbove", fmt.Sprint(declaredAbove(s, "4")))
		show("declaredAndReturned", fmt.Sprint(declaredAndReturned(s)))
		show("commented", fmt.Sprint(commented(s)))
		show("otherWrap", fmt.Sprint(otherWrap(s)))
		show("sentinel", sentinel(s))
		show("notAfterCall", notAfterCall(s))
	}
	if _, err := parse("bad"); err != nil {
		os.Exit(3)
	}
}
