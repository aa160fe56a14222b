package main

import (
	"encoding/json"
	"fmt"
	"time"
)

// Shape is sealed, with a pointer variant.
type Shape interface {
	isShape()
}

func area(s Shape) float64 {
	switch s := s.(type) {
	case Circle:
		return 3 * s.R * s.R
	case *Rect:
		return s.W * s.H
	}
	return -1
}

// Event is sealed; its variants are declared in its file: they become new variants.
type Event interface {
	isEvent()
}

// Started is the first event.
type Started struct {
	At int `json:"at"`
}

type (
	// Stopped ends it.
	Stopped struct{ Code int }
	Paused  struct{ For time.Duration }
)

func (Started) isEvent() {}
func (Stopped) isEvent() {}
func (Paused) isEvent()  {}

func (s Stopped) String() string { return fmt.Sprint("stopped with ", s.Code) }

func describeEvent(e Event) string {
	switch e := e.(type) {
	case Started:
		out, err := json.Marshal(e)
		return fmt.Sprint(string(out), err)
	case Stopped:
		return e.String()
	case Paused:
		return fmt.Sprint("paused for ", e.For)
	}
	return "?"
}

// Node has more than its marker: left as it is.
type Node interface {
	isNode()
	Name() string
}

type Leaf struct{}

func (Leaf) isNode()        {}
func (Leaf) Name() string { return "leaf" }

// Token's switch misses a variant without default: a union would not check.
type Token interface{ isToken() }

type Word string
type Number int

func (Word) isToken()   {}
func (Number) isToken() {}

func describe(t Token) string {
	switch t := t.(type) {
	case Word:
		return "word " + string(t)
	}
	return "other"
}

func main() {
	fmt.Println(area(Circle{R: 1}), area(&Rect{W: 2, H: 3}), Square{}.W)
	for _, e := range []Event{Started{At: 3}, Stopped{Code: 2}, Paused{For: 3}} {
		fmt.Println(describeEvent(e))
	}
	var n Node = Leaf{}
	fmt.Println(n.Name(), describe(Word("w")), describe(Number(1)))
	var s any = &Rect{}
	_, ok := s.(Shape)
	_, ok2 := s.(interface{ isAnimal() })
	fmt.Println(ok, ok2, Dog{}.sound())
}

// Animal's marker is mentioned elsewhere (above): left as it is.
type Animal interface{ isAnimal() }

type Dog struct{}

func (Dog) isAnimal() {}

func (Dog) sound() string { return "woof" }
