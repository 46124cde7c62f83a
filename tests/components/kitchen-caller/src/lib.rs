//! Sends every WIT value shape through RPC to a kitchen-sink worker and checks it comes back
//! unchanged (floats bit for bit, NaN as NaN).

use std::fmt::Debug;

use golem_rpc::Uri;

golem_rpc::import!("../kitchen-sink/wit");

wit_bindgen::generate!({
    path: "wit",
    world: "kitchen-caller",
});

use kitchen::echo::{Color, Echo, Located, Meters, Perms, Point, Shape, Wide};

struct Caller;

struct Checks {
    count: usize,
    problems: Vec<String>,
}

impl Checks {
    fn same<T: PartialEq + Debug>(
        &mut self,
        what: &str,
        sent: T,
        got: Result<T, golem_rpc::Error>,
    ) {
        self.count += 1;
        match got {
            Ok(got) if got == sent => {}
            Ok(got) => self
                .problems
                .push(format!("{what}: sent {sent:?}, got {got:?}")),
            Err(e) => self.problems.push(format!("{what}: {e}")),
        }
    }

    fn same_bits(&mut self, what: &str, sent: u64, got: Result<u64, golem_rpc::Error>) {
        self.same(what, sent, got);
    }
}

impl exports::test::kitchen_caller::run::Guest for Caller {
    fn check_all(target: String) -> Vec<String> {
        let uri = Uri { value: target };
        let echo = Echo::new(&uri);
        let mut c = Checks {
            count: 0,
            problems: Vec::new(),
        };

        for x in [true, false] {
            c.same("bool", x, echo.try_blocking_echo_bool(x));
        }
        for x in [0, 1, u8::MAX] {
            c.same("u8", x, echo.try_blocking_echo_u8(x));
        }
        c.same("u16", u16::MAX, echo.try_blocking_echo_u16(u16::MAX));
        c.same("u32", u32::MAX, echo.try_blocking_echo_u32(u32::MAX));
        c.same("u64", u64::MAX, echo.try_blocking_echo_u64(u64::MAX));
        for x in [i8::MIN, -1, i8::MAX] {
            c.same("s8", x, echo.try_blocking_echo_s8(x));
        }
        c.same("s16", i16::MIN, echo.try_blocking_echo_s16(i16::MIN));
        c.same("s32", i32::MIN, echo.try_blocking_echo_s32(i32::MIN));
        for x in [i64::MIN, i64::MAX] {
            c.same("s64", x, echo.try_blocking_echo_s64(x));
        }
        for x in [
            0.0f32,
            -0.0,
            1.5,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::MIN_POSITIVE,
            f32::MAX,
        ] {
            c.same_bits(
                "f32",
                u64::from(x.to_bits()),
                echo.try_blocking_echo_f32(x)
                    .map(|v| u64::from(v.to_bits())),
            );
        }
        for x in [
            0.0f64,
            -0.0,
            -2.5e300,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
        ] {
            c.same_bits(
                "f64",
                x.to_bits(),
                echo.try_blocking_echo_f64(x).map(f64::to_bits),
            );
        }
        c.same(
            "f32 NaN",
            true,
            echo.try_blocking_echo_f32(f32::NAN).map(f32::is_nan),
        );
        c.same(
            "f64 NaN",
            true,
            echo.try_blocking_echo_f64(f64::NAN).map(f64::is_nan),
        );
        for x in ['a', 'é', '🦀', '\u{10FFFF}', '\0'] {
            c.same("char", x, echo.try_blocking_echo_char(x));
        }
        let big = "golem ✓ ".repeat(1 << 17);
        for x in ["", "héllo wörld 🦀", big.as_str()] {
            c.same("string", x.to_owned(), echo.try_blocking_echo_string(x));
        }
        let bytes: Vec<u8> = (0..65_536u32).map(|i| i as u8).collect();
        for x in [Vec::new(), bytes] {
            c.same("list<u8>", x.clone(), echo.try_blocking_echo_bytes(&x));
        }
        let nested = vec![
            vec![],
            vec!["a".to_owned(), String::new()],
            vec!["🦀".to_owned()],
        ];
        c.same(
            "list<list<string>>",
            nested.clone(),
            echo.try_blocking_echo_nested(&nested),
        );
        c.same(
            "list<list<string>> empty",
            vec![],
            echo.try_blocking_echo_nested(&[]),
        );
        for x in [None, Some(None), Some(Some(7))] {
            c.same("option<option<u32>>", x, echo.try_blocking_echo_option(x));
        }
        let results = [
            (Ok(1), Ok(()), Ok(2), Ok(())),
            (Err("a".to_owned()), Err("b".to_owned()), Err(()), Err(())),
        ];
        for (a, b, cc, d) in results {
            let sent = (a.clone(), b.clone(), cc, d);
            let got = echo.try_blocking_echo_results(
                a.as_ref().copied().map_err(String::as_str),
                b.as_ref().map(|_| ()).map_err(String::as_str),
                cc,
                d,
            );
            c.same("results", sent, got);
        }
        for x in [
            Ok(Ok(1)),
            Ok(Err("inner".to_owned())),
            Err(None),
            Err(Some("outer".to_owned())),
        ] {
            let borrowed = match &x {
                Ok(Ok(v)) => Ok(Ok(*v)),
                Ok(Err(e)) => Ok(Err(e.as_str())),
                Err(None) => Err(None),
                Err(Some(e)) => Err(Some(e.as_str())),
            };
            c.same(
                "result<result<u8, string>, option<string>>",
                x.clone(),
                echo.try_blocking_echo_nested_result(borrowed),
            );
        }
        c.same("tuple<u8>", (9,), echo.try_blocking_echo_tuple1((9,)));
        let five = (1u8, -2i64, "three".to_owned(), 4.5f32, '5');
        c.same(
            "tuple<u8, s64, string, f32, char>",
            five.clone(),
            echo.try_blocking_echo_tuple5((1, -2, "three", 4.5, '5')),
        );
        let located = Located {
            name: "summit".into(),
            at: Point { x: 46.5, y: -7.25 },
            height: Meters { value: 4478.0 },
        };
        c.same(
            "record with nested and dep-package records",
            located.clone(),
            echo.try_blocking_echo_located(&located),
        );
        let meters = vec![Meters { value: 1.0 }, Meters { value: -0.5 }];
        c.same(
            "list<record from deps/>",
            meters.clone(),
            echo.try_blocking_echo_meters(&meters),
        );
        let shapes = [
            Shape::None,
            Shape::Circle(2.0),
            Shape::Polygon(vec![Point { x: 0.0, y: 0.0 }, Point { x: 1.0, y: 1.0 }]),
            Shape::Tagged(("t".into(), Color::Blue)),
        ];
        for x in shapes {
            c.same("variant", x.clone(), echo.try_blocking_echo_shape(&x));
        }
        for x in [Color::Red, Color::Green, Color::Blue] {
            c.same("enum", x, echo.try_blocking_echo_color(x));
        }
        for (p, w) in [
            (Perms::empty(), Wide::empty()),
            (Perms::READ | Perms::EXEC, Wide::F0 | Wide::F31),
            (Perms::all(), Wide::all()),
        ] {
            c.same("flags", (p, w), echo.try_blocking_echo_flags(p, w));
        }
        c.same(
            "type alias",
            "label".to_owned(),
            echo.try_blocking_echo_label("label"),
        );

        // Fire-and-forget and unit results.
        echo.nothing();
        c.same("unit result", (), echo.try_blocking_nothing());
        c.same("fire-and-forget ran", 2, echo.try_blocking_count_nothing());
        // The world-level function, sent by its bare name.
        c.same(
            "world function",
            "kitchen 0.3.1".to_owned(),
            kitchen::KitchenSink::new(&uri).try_blocking_version(),
        );

        // An interface exported from another package, and an inline interface.
        c.same(
            "export from another package",
            10.0 / 0.3048,
            kitchen::convert::Convert::new(&uri).try_blocking_to_feet(Meters { value: 10.0 }),
        );
        c.same(
            "inline interface",
            8,
            kitchen::inline_api::InlineApi::new(&uri).try_blocking_ping(7),
        );

        let mut lines = c.problems;
        lines.push(format!("{} round trips, {} problems", c.count, lines.len()));
        lines
    }
}

export!(Caller);
