package tree

import "testing"

func TestEval(t *testing.T) {
	e := Bin{Op: Mul, L: Num{6}, R: Bin{Op: Add, L: Num{3}, R: Neg{Num{-4}}}}
	if got := Eval(e); got != 42 {
		t.Errorf("Eval = %d", got)
	}
	if got := Show(e); got != "(6 Mul (3 Add --4))" {
		t.Errorf("Show = %q", got)
	}
	if !isExpr(e) || isExpr(42) {
		t.Error("isExpr")
	}
}

func TestBadOp(t *testing.T) {
	defer func() {
		if r := recover(); r != "tgo: no case matched in exhaustive switch on Op: Op(5)" {
			t.Errorf("recovered %v", r)
		}
	}()
	Eval(Bin{Op: Op(5), L: Num{1}, R: Num{2}})
}
