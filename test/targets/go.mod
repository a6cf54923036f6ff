module pprofstudio/targets

go 1.22
