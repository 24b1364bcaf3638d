//! The payload size model and argument copying rules, from Rust.

use mlua::{Lua, Value};
use skyrocket_sim::datatypes::{self, CFrame};
use skyrocket_sim::value::{message_size, NetValue, MESSAGE_OVERHEAD};

#[test]
fn size_model() {
    assert_eq!(NetValue::Nil.wire_size(), 1);
    assert_eq!(NetValue::Bool(true).wire_size(), 2);
    assert_eq!(NetValue::Number(1.5).wire_size(), 9);
    assert_eq!(NetValue::String(vec![0; 10]).wire_size(), 12);
    assert_eq!(NetValue::Buffer(vec![0; 200]).wire_size(), 1 + 2 + 200);
    assert_eq!(NetValue::Vector3([1.0, 2.0, 3.0]).wire_size(), 13);
    assert_eq!(NetValue::CFrame(CFrame::IDENTITY).wire_size(), 14);
    assert_eq!(
        NetValue::CFrame(CFrame::angles(0.1, 0.2, 0.3)).wire_size(),
        25
    );
    assert_eq!(NetValue::Instance(5).wire_size(), 5);
    let arr = NetValue::Array(vec![NetValue::Number(1.0), NetValue::Bool(false)]);
    assert_eq!(arr.wire_size(), 1 + 1 + 9 + 2);
    let dict = NetValue::Dict(vec![(b"hp".to_vec(), NetValue::Number(1.0))]);
    assert_eq!(dict.wire_size(), 1 + 1 + (1 + 2 + 9));
    assert_eq!(message_size(&[arr]), MESSAGE_OVERHEAD + 13);
}

#[test]
fn copy_rules() {
    let lua = Lua::new();
    datatypes::install(&lua).expect("install");
    let v: Value = lua
        .load("return { 1, 2, nil, 4, x = 'lost' }")
        .eval()
        .expect("eval");
    assert_eq!(
        NetValue::from_lua(&v).expect("copy"),
        NetValue::Array(vec![NetValue::Number(1.0), NetValue::Number(2.0)])
    );
    let v: Value = lua
        .load("return setmetatable({ b = 2, a = print, [3] = 1, [{}] = 1 }, {})")
        .eval()
        .expect("eval");
    assert_eq!(
        NetValue::from_lua(&v).expect("copy"),
        NetValue::Dict(vec![(b"b".to_vec(), NetValue::Number(2.0))])
    );
    let cyclic: Value = lua
        .load("local t = {} t.self = t return t")
        .eval()
        .expect("eval");
    assert!(NetValue::from_lua(&cyclic).is_err());
    let e: Value = lua.load("return Enum.KeyCode.W").eval().expect("eval");
    let n = NetValue::from_lua(&e).expect("copy");
    assert_eq!(n, NetValue::EnumItem("KeyCode", "W", 119));
    let back = n.to_lua(&lua, &|_| Ok(Value::Nil)).expect("back");
    let same: bool = lua
        .load("return ... == Enum.KeyCode.W")
        .call(back)
        .expect("eq");
    assert!(same);
}
