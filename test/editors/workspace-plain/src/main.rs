fn main() {
    println!("not a Worker");
}
