// cxx.cc — C++ exceptions (throw through several frames and a catch by base
// class, rethrow, std::exception_ptr), destructors run during unwinding,
// std::string/map/vector/sort, std::thread with a mutex, iostreams.
// The unwinder walks .eh_frame with the registers the emulator keeps.
#include <algorithm>
#include <exception>
#include <iostream>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

static int destroyed;
struct Guard { int id; ~Guard() { destroyed += id; } };
struct MyError : std::runtime_error { int code; MyError(int c) : std::runtime_error("my error"), code(c) {} };

__attribute__((noinline)) static void thrower(int depth)
{
    Guard g{depth};
    if (depth == 0) throw MyError(42);
    thrower(depth - 1);
}

int main()
{
    try {
        thrower(10);
    } catch (const std::runtime_error &e) {
        std::cout << "caught " << e.what() << " code " << dynamic_cast<const MyError &>(e).code << " destructors sum " << destroyed << "\n";
    }
    std::exception_ptr ep;
    try {
        try { throw std::out_of_range("inner"); } catch (...) { ep = std::current_exception(); throw; }
    } catch (const std::logic_error &e) {
        std::cout << "rethrown " << e.what() << "\n";
    }
    try { std::rethrow_exception(ep); } catch (const std::exception &e) { std::cout << "from exception_ptr " << e.what() << "\n"; }
    std::vector<std::string> words{"pear", "apple", "fig", "banana", "cherry"};
    std::sort(words.begin(), words.end());
    std::map<std::string, size_t> lens;
    for (auto &w : words) lens[w] = w.size();
    for (auto &kv : lens) std::cout << kv.first << "=" << kv.second << " ";
    std::cout << "\n";
    std::mutex m;
    long total = 0;
    std::vector<std::thread> ts;
    for (int t = 0; t < 4; t++)
        ts.emplace_back([&, t] { for (int i = 0; i < 10000; i++) { std::lock_guard<std::mutex> l(m); total += t; } });
    for (auto &t : ts) t.join();
    std::cout << "threads total " << total << "\n";
    try { std::vector<int> v(3); (void)v.at(10); } catch (const std::out_of_range &) { std::cout << "at() threw\n"; }
    return 0;
}
