// Errors in WIT written in Golem 1.0/1.1's dialect show the user's own line, though `float32`,
// `-> ()` and named results were rewritten before wit-parser read it.
golem_rpc::import!({
    inline: "
        package demo:legacy;
        interface api {
            reset: func() -> ();
            ratio: func(value: float32) -> (low: float64, high: float64;
        }
        world legacy { export api; }
    ",
});

golem_rpc::import!({
    inline: "
        package demo:legacy;
        interface api {
            scale: func(by: float32, unit: money) -> (low: float64, high: float64);
        }
        world legacy { export api; }
    ",
});

fn main() {}
