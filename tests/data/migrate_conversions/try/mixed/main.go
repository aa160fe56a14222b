package main

import "fmt"

func double(s string) (int, error) {
	n, err := atoi(s)
	if err != nil {
		return 0, err
	}
	return 2 * n, nil
}

func main() {
	fmt.Println(double("21"))
	fmt.Println(double("x"))
}
