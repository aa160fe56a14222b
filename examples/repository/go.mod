module example.com/repository

go 1.22
