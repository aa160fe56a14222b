module example.com/evaluator

go 1.22
