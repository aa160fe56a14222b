module example.com/httperrors

go 1.22
