module liballiance/alliance

go 1.19
