// cxx.cc — C++ runtime on the guest: exceptions thrown through several
// frames and caught by base class, rethrow, destructors during unwinding,
// RTTI (dynamic_cast, typeid), virtual dispatch, and the STL containers and
// algorithms most programs use, plus iostream formatting.
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <unordered_map>
#include <vector>

struct Shape {
    virtual ~Shape() = default;
    virtual double area() const = 0;
    virtual std::string name() const { return "shape"; }
};
struct Rect : Shape {
    double w, h;
    Rect(double w_, double h_) : w(w_), h(h_) {}
    double area() const override { return w * h; }
    std::string name() const override { return "rect"; }
};
struct Square : Rect {
    explicit Square(double s) : Rect(s, s) {}
    std::string name() const override { return "square"; }
};
struct Circle : Shape {
    double r;
    explicit Circle(double r_) : r(r_) {}
    double area() const override { return 3.25 * r * r; }
};

struct MyError : std::runtime_error {
    int code;
    MyError(const std::string &m, int c) : std::runtime_error(m), code(c) {}
};

static int live_guards;
struct Guard {
    std::string tag;
    explicit Guard(std::string t) : tag(std::move(t)) { live_guards++; }
    ~Guard() { live_guards--; std::cout << "  unwind " << tag << "\n"; }
};

static int thrower(int depth)
{
    Guard g("level" + std::to_string(depth));
    if (depth == 0)
        throw MyError("deep failure", 42);
    return thrower(depth - 1) + 1;
}

static void exceptions()
{
    try {
        thrower(3);
    } catch (const std::runtime_error &e) {
        const MyError *me = dynamic_cast<const MyError *>(&e);
        std::cout << "caught runtime_error: " << e.what() << " code=" << (me ? me->code : -1)
                  << " live=" << live_guards << "\n";
    }
    try {
        try {
            std::vector<int> v(3);
            v.at(10) = 1;
        } catch (const std::out_of_range &) {
            std::cout << "out_of_range, rethrowing\n";
            throw;
        }
    } catch (const std::exception &e) {
        std::cout << "rethrown exception caught as std::exception\n";
    }
    try {
        throw 7;
    } catch (int i) {
        std::cout << "caught int " << i << "\n";
    }
    try {
        throw std::string("a string");
    } catch (...) {
        std::cout << "caught with ...\n";
    }
    int caught = 0;
    for (int i = 0; i < 1000; i++) {
        try {
            if (i % 3 == 0)
                throw i;
        } catch (int v) {
            caught += v;
        }
    }
    std::cout << "sum of 334 throws " << caught << "\n";
}

static void rtti()
{
    std::vector<std::unique_ptr<Shape>> shapes;
    shapes.emplace_back(new Rect(2, 3));
    shapes.emplace_back(new Square(4));
    shapes.emplace_back(new Circle(1));
    for (auto &s : shapes) {
        std::cout << s->name() << " area=" << s->area() << " is_rect=" << (dynamic_cast<Rect *>(s.get()) != nullptr)
                  << " is_square=" << (dynamic_cast<Square *>(s.get()) != nullptr)
                  << " typeid_circle=" << (typeid(*s) == typeid(Circle)) << "\n";
    }
    std::cout << "typeid(int).name=" << typeid(int).name() << " typeid(Square).name=" << typeid(Square).name() << "\n";
    try {
        Shape &c = *shapes[2];
        Rect &r = dynamic_cast<Rect &>(c);
        std::cout << "not reached " << r.w << "\n";
    } catch (const std::bad_cast &) {
        std::cout << "bad_cast thrown\n";
    }
}

static void stl()
{
    std::vector<int> v;
    for (int i = 0; i < 1000; i++)
        v.push_back((i * 7919) % 1009);
    std::sort(v.begin(), v.end());
    auto last = std::unique(v.begin(), v.end());
    std::cout << "unique " << (last - v.begin()) << " sum=" << std::accumulate(v.begin(), last, 0LL)
              << " lower_bound(500)=" << *std::lower_bound(v.begin(), last, 500) << "\n";
    std::map<std::string, int> m;
    std::unordered_map<int, std::string> um;
    const char *words[] = { "the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog", "the" };
    for (auto w : words)
        m[w]++;
    for (auto &kv : m)
        std::cout << kv.first << ":" << kv.second << " ";
    std::cout << "\n";
    for (int i = 0; i < 5000; i++)
        um[i * 31] = std::to_string(i);
    long total = 0;
    for (int i = 0; i < 5000 * 31; i += 7)
        if (um.count(i))
            total += std::stol(um[i]);
    std::cout << "unordered_map size=" << um.size() << " total=" << total << "\n";
    std::string s = "Hello";
    s += ", world";
    s.insert(5, " there");
    std::reverse(s.begin(), s.end());
    std::cout << s << " find=" << s.find("ereht") << " substr=" << s.substr(2, 5) << "\n";
    std::ostringstream os;
    os << std::hex << 255 << " " << std::dec << std::setw(6) << std::setfill('0') << 42 << " "
       << std::fixed << std::setprecision(3) << 3.14159 << " " << std::scientific << 12345.678;
    std::cout << os.str() << "\n";
    std::istringstream is("10 20 30 forty");
    int a, b, c;
    std::string w;
    is >> a >> b >> c >> w;
    std::cout << a + b + c << " " << w << "\n";
}

int main()
{
    exceptions();
    rtti();
    stl();
    std::cout << std::flush;
    return 0;
}
