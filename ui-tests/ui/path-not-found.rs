golem_rpc::import!("wit/no-such-target.wit");

fn main() {}
