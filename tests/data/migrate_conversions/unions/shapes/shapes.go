package main

// Circle and Rect are the shapes.
type Circle struct{ R float64 }

type Rect struct{ W, H float64 }

func (Circle) isShape() {}

func (*Rect) isShape() {}

// Square is not a Shape.
type Square struct{ Rect }
