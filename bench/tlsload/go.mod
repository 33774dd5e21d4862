module tpp.dev/bench/tlsload

go 1.25
