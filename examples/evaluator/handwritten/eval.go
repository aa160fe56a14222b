// Package handwritten is package evaluator's Eval as a Go programmer would
// write it without tgo: an interface with a marker method, one struct per
// node, a type switch with a default that panics, and if err != nil blocks.
// It is the baseline for the benchmarks in package evaluator, which show that
// the lowered tgo code costs the same.
package handwritten

import "fmt"

// Expr is a node of an expression tree.
type Expr interface {
	isExpr()
}

type (
	Num struct{ V float64 }
	Var struct{ Name string }
	Add struct{ L, R Expr }
	Mul struct{ L, R Expr }
	Neg struct{ X Expr }
)

func (Num) isExpr() {}
func (Var) isExpr() {}
func (Add) isExpr() {}
func (Mul) isExpr() {}
func (Neg) isExpr() {}

// UnboundError is returned by Eval for a variable env does not bind.
type UnboundError struct {
	Name string
}

func (e *UnboundError) Error() string {
	return fmt.Sprintf("unbound variable %q", e.Name)
}

// Eval returns the value of e with its variables taken from env.
func Eval(e Expr, env map[string]float64) (float64, error) {
	switch e := e.(type) {
	case Num:
		return e.V, nil
	case Var:
		v, ok := env[e.Name]
		if !ok {
			return 0, &UnboundError{Name: e.Name}
		}
		return v, nil
	case Add:
		l, err := Eval(e.L, env)
		if err != nil {
			return 0, err
		}
		r, err := Eval(e.R, env)
		if err != nil {
			return 0, err
		}
		return l + r, nil
	case Mul:
		l, err := Eval(e.L, env)
		if err != nil {
			return 0, err
		}
		r, err := Eval(e.R, env)
		if err != nil {
			return 0, err
		}
		return l * r, nil
	case Neg:
		x, err := Eval(e.X, env)
		if err != nil {
			return 0, err
		}
		return -x, nil
	default:
		panic(fmt.Sprintf("handwritten.Eval: unexpected node %T", e))
	}
}
